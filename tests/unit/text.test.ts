/** Text helpers that read what callers send: linear in its length, whatever it holds. */
import { comparableName, comparablePersonName, trimCharacters } from '../../shared/text';
import { isPercentFormat } from '../../shared/spreadsheet';

it('trims given characters from either end, or one', () => {
  expect(trimCharacters('**名称**', '*')).toBe('名称');
  expect(trimCharacters('**名称**', '*', 'start')).toBe('名称**');
  expect(trimCharacters('http://collector:4318///', '/', 'end')).toBe('http://collector:4318');
  expect(trimCharacters('****', '*')).toBe('');
  // A long run followed by something else: left as it is, read once.
  const long = `${'*'.repeat(1_000_000)}x`;
  expect(trimCharacters(long, '*', 'end')).toBe(long);
});

it('tells a percentage format by a % outside quotes, escapes and brackets, a quote or bracket never closed being a character', () => {
  expect(isPercentFormat('0.0%')).toBe(true);
  expect(isPercentFormat('0.0"%"')).toBe(false);
  expect(isPercentFormat('0.0\\%')).toBe(false);
  expect(isPercentFormat('[Red]0.0')).toBe(false);
  expect(isPercentFormat('[Red]0.0%')).toBe(true);
  expect(isPercentFormat('"abc0.0%')).toBe(true); // the quote never closes
  expect(isPercentFormat('[abc0.0%')).toBe(true);
  expect(isPercentFormat(`${'['.repeat(1_000_000)}%`)).toBe(true);
  expect(isPercentFormat(undefined)).toBe(false);
});

it('compares names without the invisible characters copied text brings along (zero-width space, soft hyphen, BOM, direction marks)', () => {
  for (const unseen of ['\u200B', '\u00AD', '\uFEFF', '\u200E', '\u2060']) {
    expect(comparableName(`札${unseen}幌市`)).toBe(comparableName('札幌市'));
    expect(comparablePersonName(`山田${unseen}太郎`)).toBe(comparablePersonName('山田 太郎'));
  }
  expect(comparableName('札幌市')).not.toBe(comparableName('小樽市'));
});
