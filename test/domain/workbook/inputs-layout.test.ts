import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '../../../src/domain/scenario/parse';
import { inputCells } from '../../../src/domain/workbook/inputs-cells';
import {
  SCALAR_INPUTS,
  cellOfField,
  definedName,
  fieldAtCell,
  scalarCell,
  tableCell,
} from '../../../src/domain/workbook/inputs-layout';

/** Issue 13: the Inputs sheet's fixed layout, the contract between export and import. */

const example = (name: string) =>
  parseScenarioText(readFileSync(join(__dirname, '../../../data/examples', name), 'utf8'));

describe('Inputs sheet layout', () => {
  it.each([
    ['B2', 'project.code'],
    ['B12', 'timeline.startYear'],
    ['B14', 'timeline.operationYears'],
  ])('%s holds %s', (cell, path) => {
    const m = fieldAtCell(cell);
    expect(m?.kind).toBe('scalar');
    expect(m && 'path' in m ? m.path.join('.') : '').toBe(path);
    expect(cellOfField(path.split('.'))).toBe(cell);
    expect(scalarCell(path)).toBe(cell.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2'));
  });

  it('maps a table cell to the list item and field and back', () => {
    const cell = tableCell('sources', 'debt.annualRate', 2).replace(/\$/g, '');
    const m = fieldAtCell(cell);
    expect(m && 'path' in m ? m.path : []).toEqual(['funding', 'sources', 2, 'debt', 'annualRate']);
    expect(cellOfField(['funding', 'sources', 2, 'debt', 'annualRate'])).toBe(cell);
    expect(cellOfField(['capex', 'scheduleYuan', 0])).toBe(
      tableCell('capex', '', 0).replace(/\$/g, ''),
    );
  });

  it('labels are labels, cells past the layout are nothing', () => {
    expect(fieldAtCell('A2')).toEqual({ kind: 'label' });
    expect(fieldAtCell('Z2')).toBeUndefined();
    expect(fieldAtCell('B9999')).toBeUndefined();
  });

  it('gives each input a distinct defined name', () => {
    const names = SCALAR_INPUTS.map((s) => definedName(s));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('in_timeline_startYear');
  });

  it('writes every input of an example where the layout reads it back', () => {
    const s = example('smart-parking-concession.json');
    const cells = inputCells(s);
    for (const c of cells) {
      const m = fieldAtCell(c.address);
      expect(m && 'path' in m).toBe(true);
    }
    const rate = cells.find((c) => c.address === cellOfField(['discountRates', 'project']));
    expect(String(rate?.value)).toBe(s.discountRates.project);
    const capex0 = cells.find((c) => c.address === cellOfField(['capex', 'scheduleYuan', 0]));
    expect(String(capex0?.value)).toBe(String(Number(s.capex.scheduleYuan[0])));
  });
});
