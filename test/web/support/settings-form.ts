import type { Agent } from './app';
import { encodeForm, fill, formFields, section } from './html';

/**
 * Posts a portfolio's fiscal settings form as a user would: the page's form as served (its CSRF
 * token and stored values), with `values` typed over it.
 */
export async function postSettingsForm(
  agent: Agent,
  portfolioId: number,
  values: Record<string, string>,
  cookie: string,
) {
  const url = `/portfolios/${portfolioId}/fiscal/settings`;
  const page = await agent.get(url).set('Cookie', cookie);
  const fields = fill(formFields(section(page.text, 'form', 'settings-form')), values);
  return agent.post(url).set('Cookie', cookie).type('form').send(encodeForm(fields));
}
