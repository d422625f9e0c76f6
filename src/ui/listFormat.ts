// The format fields of a hot-list file as a form edits them (import form and source form), and the ListFormat the
// backend takes. The backend checks everything again; this only shapes the input.
import type { ClewList } from '../core/hotlist/clew';
import type { CsvMapping } from '../core/hotlist/csv';
import type { ListFormat } from '../core/hotlist/source';

export interface FormatDraft {
  format: 'clew' | 'ncic' | 'csv';
  clewList: ClewList;
  csvName: string;
  mapping: Record<keyof CsvMapping, string>;
}

export function emptyDraft(): FormatDraft {
  return {
    format: 'clew',
    clewList: 'SVS',
    csvName: '',
    mapping: {
      plate: 'Plate',
      state: '',
      list: '',
      effective: '',
      expiry: '',
      priority: '',
      reason: '',
      reference: '',
    },
  };
}

export function formatOf(d: FormatDraft): ListFormat {
  if (d.format === 'clew') return { format: 'clew', list: d.clewList };
  if (d.format === 'ncic') return { format: 'ncic' };
  // Blank fields are left out (the backend requires `plate` and says so when it is blank).
  const mapping = Object.fromEntries(
    Object.entries(d.mapping).filter(([, v]) => v.trim() !== ''),
  ) as unknown as CsvMapping;
  return { format: 'csv', listName: d.csvName, mapping };
}

/** A saved source's format back into the form (to load a file with a saved CSV mapping). */
export function draftOf(f: ListFormat): FormatDraft {
  const d = emptyDraft();
  d.format = f.format;
  if (f.format === 'clew') d.clewList = f.list;
  if (f.format === 'csv') {
    d.csvName = f.listName;
    for (const key of Object.keys(d.mapping) as (keyof CsvMapping)[]) d.mapping[key] = f.mapping[key] ?? '';
  }
  return d;
}
