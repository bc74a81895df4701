/** The names of the demo seed (data/demo) that tests refer to: its jurisdiction and its three portfolios. */
export const DEMO_CITY = '示范市 Demo City';
export const BALANCED = '2027 均衡方案 Balanced 2027 plan';
export const PPP_HEAVY = '2027 PPP为主方案 PPP-heavy 2027 plan';
export const BOND_HEAVY = '2027 专项债为主方案 Bond-heavy 2027 plan';
