// Which values AWS accepts under a Date operator when a policy is written. A value it cannot read
// fails the whole policy with "The policy failed legacy parsing". AWS's reader is more lenient than
// the W3C profile the docs name (and than condition-date.ts, which decides at request time): it
// takes `01T`, a lower-case `t`, one-digit hours and an hour-only offset (`+23`). It refuses a month
// of 13, an offset hour of one digit, more than nine fraction digits and an epoch beyond 64 bits.
// Anything accepted here that condition-date.ts cannot read simply matches nothing.

const EPOCH = /^-?\d{1,19}$/;
const MAX_EPOCH = 9223372036854775807n;
const MIN_EPOCH = -9223372036854775808n;

// date [T [time] [offset]], or T time [offset]. Groups: year, month, day, ordinal day; hour,
// minute, second; offset hour, offset minute. All bounded, so the match is linear.
const DATE = String.raw`[+-]?\d{1,9}(?:-(\d{1,2})(?:-(\d{1,2}))?|-(\d{3}))?`;
const TIME = String.raw`(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,]\d{1,9})?)?)?`;
const OFFSET = String.raw`Z|[+-](\d{2})(?::?(\d{2}))?`;
const DATE_TIME = new RegExp(`^(?:(${DATE})(?:[Tt](?:${TIME})?(?:${OFFSET})?)?|[Tt]${TIME}(?:${OFFSET})?)$`);

/** True when AWS accepts `value` as a date or time under a Date… operator. */
export function isDateValue(value: string): boolean {
  if (EPOCH.test(value)) {
    const n = BigInt(value);
    return n >= MIN_EPOCH && n <= MAX_EPOCH;
  }
  if (value.length > 64) return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [, date, month, day, ordinal, hour, minute, second, offsetHour, offsetMinute, hour2, minute2, second2, offsetHour2, offsetMinute2] = m;
  const year = date === undefined ? 2000 : Number.parseInt(date, 10);
  return (
    within(month, 1, 12) &&
    (day === undefined || (Number(day) >= 1 && Number(day) <= daysInMonth(year, Number(month)))) &&
    within(ordinal, 1, isLeap(year) ? 366 : 365) &&
    within(hour ?? hour2, 0, 23) &&
    within(minute ?? minute2, 0, 59) &&
    within(second ?? second2, 0, 59) &&
    within(offsetHour ?? offsetHour2, 0, 23) &&
    within(offsetMinute ?? offsetMinute2, 0, 59)
  );
}

function within(digits: string | undefined, min: number, max: number): boolean {
  if (digits === undefined) return true;
  const n = Number(digits);
  return n >= min && n <= max;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}
