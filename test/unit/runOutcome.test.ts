import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../../shared/errors';
import { exitCodeForError, exitCodes } from '../../shared/exitCodes';
import { classifyRun } from '../../shared/runOutcome';
import { makesRunPartial, parseArchivedRunErrors, warningCodes, warnings, type RunErrorCode } from '../../shared/warnings';

/**
 * The notes that leave a run complete, pinned: moving a code in or out of this list changes what
 * schedulers see (exit 0 or 5), so it must be a deliberate edit here as well as in warnings.ts.
 */
const leaveComplete: readonly RunErrorCode[] = [
  'FORBIDDEN',
  'NOT_FOUND',
  'COVERAGE_GAP',
  'COUNT_MISMATCH',
  'EXPORT_SHORT',
  'UNMAPPED_CHANNEL',
  'EXPORT_ROW_WITHOUT_ID',
  'FILE_SIZE_DIFFERS',
  'FILES_ALL_FORBIDDEN',
  // The kinds stay guessed (and marked so); another run would meet the same refusal or the same ties.
  'CHAT_KINDS_UNAVAILABLE',
  'CHAT_KINDS_INCOMPLETE',
  // The admin chose not to grant an optional scope: another run meets the same refusal.
  'SOURCE_NOT_GRANTED',
  // An org on Zoho People: Cliq lists departments only with a search term, at every run.
  'DEPARTMENTS_NEED_SEARCH',
  // The review log's own warnings (core/review), never a sync run's note: they change no run's outcome.
  'REVIEW_LOG_DEFERRED',
  'REVIEW_LOG_UNWRITTEN',
];

const allNoteCodes: readonly RunErrorCode[] = [...warningCodes, ...errorCodes];

describe('the warning vocabulary', () => {
  it('shares no code with the errors', () => {
    for (const code of warningCodes) expect(errorCodes as readonly string[]).not.toContain(code);
  });

  it('decides for every note code whether the run stays complete', () => {
    for (const code of allNoteCodes) expect([code, makesRunPartial(code)]).toEqual([code, !leaveComplete.includes(code)]);
    expect(warnings.INTERRUPTED.partial).toBe(true);
  });

  it('marks the gaps an audit bundle repeats', () => {
    expect(warningCodes.filter((code) => warnings[code].evidenceGap)).toEqual(['COVERAGE_GAP', 'EXPORT_SHORT', 'DEPARTMENTS_NEED_SEARCH', 'SOURCE_NOT_GRANTED']);
  });
});

describe('classifyRun', () => {
  it('is complete, exit 0, with no notes', () => {
    expect(classifyRun({ cancelled: false, errors: [] })).toEqual({ status: 'complete', cancelled: false, exitCode: exitCodes.ok });
  });

  it('classifies a run by each single note', () => {
    for (const code of allNoteCodes) {
      const expected = leaveComplete.includes(code) ? { status: 'complete', cancelled: false, exitCode: 0 } : { status: 'partial', cancelled: false, exitCode: 5 };
      expect([code, classifyRun({ cancelled: false, errors: [{ code }] })]).toEqual([code, expected]);
    }
  });

  it('is partial when any note is, whatever the others', () => {
    for (const partial of allNoteCodes.filter((code) => !leaveComplete.includes(code))) {
      for (const complete of leaveComplete) {
        expect(classifyRun({ cancelled: false, errors: [{ code: complete }, { code: partial }, { code: complete }] }).status).toBe('partial');
      }
    }
    expect(classifyRun({ cancelled: false, errors: leaveComplete.map((code) => ({ code })) }).status).toBe('complete');
  });

  it('fails with the exit code of the error that stopped the run, whatever the notes', () => {
    const fatalCodes = errorCodes.filter((code): code is Exclude<ErrorCode, 'CANCELLED'> => code !== 'CANCELLED');
    for (const code of fatalCodes) {
      for (const errors of [[], [{ code }], [{ code: 'COVERAGE_GAP' as const }, { code }], [{ code: 'INTERRUPTED' as const }, { code }]]) {
        expect([code, classifyRun({ cancelled: false, fatal: { code }, errors })]).toEqual([code, { status: 'failed', cancelled: false, exitCode: exitCodeForError(code) }]);
      }
    }
    // The codes scripts branch on.
    expect(classifyRun({ cancelled: false, fatal: { code: 'AUTH_INVALID_GRANT' }, errors: [] }).exitCode).toBe(exitCodes.authorization);
    expect(classifyRun({ cancelled: false, fatal: { code: 'ARCHIVE_LOCKED' }, errors: [] }).exitCode).toBe(exitCodes.locked);
    expect(classifyRun({ cancelled: false, fatal: { code: 'IO_ERROR' }, errors: [] }).exitCode).toBe(exitCodes.failed);
  });

  it('is partial, exit 5, when cancelled, whether said by the flag or by a CANCELLED error', () => {
    const partial = { status: 'partial', cancelled: true, exitCode: exitCodes.partial };
    for (const errors of [[], leaveComplete.map((code) => ({ code })), allNoteCodes.map((code) => ({ code }))]) {
      expect(classifyRun({ cancelled: true, errors })).toEqual(partial);
      expect(classifyRun({ cancelled: false, fatal: { code: 'CANCELLED' }, errors })).toEqual(partial);
      // A report of a cancelled run carries no fatal error, but a cancel wins over one anyway.
      expect(classifyRun({ cancelled: true, fatal: { code: 'NETWORK' }, errors })).toEqual(partial);
    }
  });
});

describe('parseArchivedRunErrors', () => {
  it('keeps notes as recorded, codes unknown to this version included', () => {
    const recorded = [
      { code: 'INTERRUPTED', message: 'stopped' },
      { code: 'SOME_OLD_CODE', message: 'from an older version', chatId: 'CT_1', family: 'messages' },
    ];
    expect(parseArchivedRunErrors(JSON.stringify(recorded))).toEqual(recorded);
    expect(parseArchivedRunErrors('[]')).toEqual([]);
  });

  it('never fails on damaged notes and hides nothing', () => {
    expect(parseArchivedRunErrors('{oops')).toEqual([{ code: 'UNREADABLE', message: "The run's notes are not valid JSON: {oops" }]);
    expect(parseArchivedRunErrors('{"code":"X"}')).toEqual([{ code: 'UNREADABLE', message: `The run's notes are not a list: {"code":"X"}` }]);
    expect(parseArchivedRunErrors('[3, null, {"code": 7, "chatId": 12}, {"message": "no code"}]')).toEqual([
      { code: 'UNREADABLE', message: '3' },
      { code: 'UNREADABLE', message: 'null' },
      { code: '7', message: 'null' },
      { code: 'null', message: 'no code' },
    ]);
  });
});
