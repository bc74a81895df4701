import Handlebars from 'handlebars';
import { helpers } from '../../../src/web/helpers';

/** Renders a template with every FundMix helper, as the app does (root holds lang and unit). */
export function render(template: string, context: Record<string, unknown> = {}): string {
  const hb = Handlebars.create();
  hb.registerHelper(helpers as unknown as Handlebars.HelperDeclareSpec);
  return hb.compile(template)({ lang: 'zh', unit: 'wan', ...context });
}
