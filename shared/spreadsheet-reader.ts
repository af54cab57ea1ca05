/**
 * The process that parses an import's workbook (readWorkbookApart, shared/spreadsheet.ts): it reads the
 * sheets there and sends their rows back in slices, so that the service's event loop never holds a workbook's
 * parse, nor one large message, and a workbook that takes more memory than the process has ends only it.
 */
import { UnreadableFile } from './csv';
import { ROWS_PER_MESSAGE, type WorkbookMessage, type WorkbookRequest, workbookSheets } from './spreadsheet';

const send = (message: WorkbookMessage) => new Promise<void>((resolve) => process.send!(message, undefined, undefined, () => resolve()));

async function read({ bytes, sheet, format }: WorkbookRequest): Promise<void> {
  try {
    const { first, others } = await workbookSheets(bytes, sheet, format);
    for (const { name, raw } of [first, ...others]) {
      void send({ sheet: name });
      for (let from = 0; from < raw.length; from += ROWS_PER_MESSAGE) void send({ rows: raw.slice(from, from + ROWS_PER_MESSAGE) });
    }
    await send({ done: true });
  } catch (error) {
    // A refusal for the person keeps its words and field; anything else (a defect) its kind and where it was
    // thrown, not its message, which may quote a cell (free text never reaches a log).
    const { name = 'Error', stack = '' } = error as Error;
    await send({
      error:
        error instanceof UnreadableFile
          ? { message: error.message, messageJa: error.messageJa, field: error.field }
          : { message: `the workbook reader failed: ${name} ${stack.split('\n').slice(1, 4).join(' ').replace(/\s+/g, ' ')}` },
    });
  }
  process.disconnect();
}

process.once('message', (request: WorkbookRequest) => void read(request));
// The service gone (stopped, restarted): nothing is waiting for the rows.
process.once('disconnect', () => process.exit(0));
