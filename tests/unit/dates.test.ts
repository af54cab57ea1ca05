import { todayInJapan } from '../../shared/dates';

it('tells today in Japan (UTC+9, no daylight saving time) at the day boundary', () => {
  expect(todayInJapan(new Date('2025-03-31T14:59:59.999Z'))).toBe('2025-03-31');
  expect(todayInJapan(new Date('2025-03-31T15:00:00.000Z'))).toBe('2025-04-01');
  expect(todayInJapan(new Date('2024-12-31T23:00:00.000Z'))).toBe('2025-01-01');
});
