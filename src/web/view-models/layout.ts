import { ENGINE_VERSION } from '../../domain/engine/types';
import { LANGS, UNITS, type Lang, type Unit } from '../format/number';
import type { Prefs } from '../context';
import { chainBannerView, type ChainBannerView } from './audit';

export type NavKey =
  'dashboard' | 'fiscal' | 'portfolios' | 'projects' | 'compare' | 'new' | 'filings' | 'audit';

/** The main navigation; `audit` entries only for those who may read the audit log. */
const NAV: Array<{ key: NavKey; href: string; label: string; audit?: true }> = [
  { key: 'dashboard', href: '/', label: 'nav.dashboard' },
  { key: 'fiscal', href: '/fiscal', label: 'nav.fiscal' },
  { key: 'portfolios', href: '/portfolios', label: 'nav.portfolios' },
  { key: 'projects', href: '/projects', label: 'nav.projects' },
  { key: 'compare', href: '/compare', label: 'nav.compare' },
  { key: 'filings', href: '/filings', label: 'nav.filings' },
  { key: 'audit', href: '/audit', label: 'nav.audit', audit: true },
  { key: 'new', href: '/projects/new', label: 'nav.newProject' },
];

const LANG_LABEL: Record<Lang, string> = { zh: '中文', en: 'EN' };
const UNIT_LABEL: Record<Unit, string> = { yuan: '元', wan: '万元', yi: '亿元' };

/** What the layout shows around every page: navigation, switches, language attributes. */
export interface LayoutModel {
  lang: Lang;
  unit: Unit;
  htmlLang: string;
  title: string;
  nav: Array<{ href: string; label: string; active: boolean }>;
  langLinks: Array<{ label: string; href: string; active: boolean }>;
  unitLinks: Array<{ label: string; href: string; active: boolean }>;
  engineVersion: string;
  /** The unit's name in the page's language ("万元", "CNY 10,000"). */
  unitName: string;
  /** Who is signed in (their roles in the page's language), or null on the sign-in page. */
  viewer: { username: string; organisation: string; roles: string } | null;
  /** The broken-chain banner, for an auditor or administrator while the chain is broken. */
  chainBanner: ChainBannerView | null;
}

/** `/prefs?...&back=<this page>`: the switches return to the page they were used on. */
function prefsHref(param: 'lang' | 'unit', value: string, back: string): string {
  return `/prefs?${param}=${value}&back=${encodeURIComponent(back)}`;
}

export function layoutModel(
  prefs: Prefs,
  opts: { title: string; nav?: NavKey; backUrl: string },
): LayoutModel {
  return {
    lang: prefs.lang,
    unit: prefs.unit,
    htmlLang: prefs.lang === 'zh' ? 'zh-CN' : 'en',
    title: opts.title,
    nav: navFor(prefs).map((n) => ({
      href: n.href,
      label: n.label,
      active: n.key === opts.nav,
    })),
    langLinks: LANGS.map((l) => ({
      label: LANG_LABEL[l],
      href: prefsHref('lang', l, opts.backUrl),
      active: l === prefs.lang,
    })),
    unitLinks: UNITS.map((u) => ({
      label: UNIT_LABEL[u],
      href: prefsHref('unit', u, opts.backUrl),
      active: u === prefs.unit,
    })),
    engineVersion: ENGINE_VERSION,
    unitName: prefs.t(`unit.${prefs.unit}`),
    viewer: prefs.viewer
      ? {
          username: prefs.viewer.username,
          organisation: prefs.viewer.organisation,
          roles: prefs.viewer.roles.map((r) => prefs.t(`role.${r}`)).join(' · '),
        }
      : null,
    chainBanner: prefs.viewer?.chainBroken
      ? chainBannerView(prefs.viewer.chainBroken, prefs.t, prefs.lang)
      : null,
  };
}

/** The navigation a viewer gets: none signed out; the audit log only for those who read it. */
function navFor(prefs: Prefs): typeof NAV {
  const viewer = prefs.viewer;
  if (!viewer) return [];
  return viewer.readsAudit ? NAV : NAV.filter((n) => n.audit !== true);
}
