import type { Migration } from './types';
import { migration as m0001 } from './0001-initial';
import { migration as m0002 } from './0002-fiscal-settings';
import { migration as m0003 } from './0003-accounts';
import { migration as m0004 } from './0004-scenario-delivery';
import { migration as m0005 } from './0005-audit-actors';
import { migration as m0006 } from './0006-filings';
import { migration as m0007 } from './0007-risk-runs';
import { migration as m0008 } from './0008-portfolio-risk-runs';
import { migration as m0009 } from './0009-portfolio-jurisdiction';
import { migration as m0010 } from './0010-bond-quotas';
import { migration as m0011 } from './0011-project-actuals';
import { migration as m0012 } from './0012-evaluation';
import { migration as m0013 } from './0013-jurisdiction-fiscal';

export type { Migration } from './types';

/**
 * Every migration this code knows, in order. Append new files here (0003-*.ts, ...); never edit
 * or reorder one that has shipped: databases in the field have already applied it. Ids rise
 * strictly.
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
];
