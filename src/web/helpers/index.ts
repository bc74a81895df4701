import { date } from './date';
import { datetime } from './datetime';
import { eq } from './eq';
import { jsonScript } from './json-script';
import { codeLabel } from './code-label';
import { money } from './money';
import { num } from './num';
import { pct } from './pct';
import { ratio } from './ratio';
import { t } from './t';
import { urlParam } from './url-param';

/** Every Handlebars helper, registered by name (one per file, each unit-tested). */
export const helpers = {
  date,
  datetime,
  eq,
  jsonScript,
  codeLabel,
  money,
  num,
  pct,
  ratio,
  t,
  urlParam,
};
