// Date values for the Date* operators. AWS: "You must specify date/time values with one of the
// W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time"
// (reference_policies_elements_condition_operators.html#Conditions_Date; formats:
// https://www.w3.org/TR/NOTE-datetime). Parsed by hand into epoch milliseconds: no allocation,
// no dependence on the host time zone.
//
// Accepted: YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm, YYYY-MM-DDThh:mm:ss, YYYY-MM-DDThh:mm:ss.s…,
// each time form with `Z`, `±hh:mm` (also `±hhmm`, `±hh`) or no zone (read as UTC); and epoch
// seconds, possibly negative or fractional. A string of digits alone is epoch seconds, so the W3C
// year-only form `YYYY` is not accepted as a year.

/** Epoch milliseconds, or NaN when the text is not a date. */
export function parseDate(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  if (isEpoch(s)) return Number(s) * 1000;
  let i = 0;
  const year = digits(s, 0, 4);
  if (year < 0 || s.charCodeAt(4) !== 45 /* - */) return NaN;
  const month = digits(s, 5, 2);
  if (month < 1 || month > 12) return NaN;
  i = 7;
  let day = 1;
  if (i < n) {
    if (s.charCodeAt(i) !== 45) return NaN;
    day = digits(s, i + 1, 2);
    if (day < 1 || day > daysInMonth(year, month)) return NaN;
    i += 3;
  }
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  if (i === n) return ms;
  if (s.charCodeAt(i) !== 84 /* T */ || n - i < 6) return NaN;
  const hour = digits(s, i + 1, 2);
  const minute = s.charCodeAt(i + 3) === 58 /* : */ ? digits(s, i + 4, 2) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  ms += hour * 3_600_000 + minute * 60_000;
  i += 6;
  if (i < n && s.charCodeAt(i) === 58) {
    const second = digits(s, i + 1, 2);
    if (second < 0 || second > 59) return NaN;
    ms += second * 1000;
    i += 3;
    if (i < n && s.charCodeAt(i) === 46 /* . */) {
      let scale = 100;
      let fraction = 0;
      const start = ++i;
      while (i < n) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        fraction += d * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return NaN;
      ms += fraction;
    }
  }
  if (i === n) return ms;
  const zone = s.charCodeAt(i);
  if (zone === 90 /* Z */) return i + 1 === n ? ms : NaN;
  if (zone !== 43 /* + */ && zone !== 45 /* - */) return NaN;
  const oh = digits(s, i + 1, 2);
  let om = 0;
  const rest = n - (i + 3);
  if (rest === 3 && s.charCodeAt(i + 3) === 58) om = digits(s, i + 4, 2);
  else if (rest === 2) om = digits(s, i + 3, 2);
  else if (rest !== 0) return NaN;
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
  const offset = (oh * 60 + om) * 60_000;
  // local time = UTC + offset, so UTC = local − offset
  return zone === 43 ? ms - offset : ms + offset;
}

function isEpoch(s: string): boolean {
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  let whole = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) {
    i++;
    whole++;
  }
  if (whole === 0) return false;
  if (i === s.length) return true;
  if (s.charCodeAt(i) !== 46) return false;
  const start = ++i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i > start && i === s.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `count` decimal digits at `start` as a number, or -1. */
function digits(s: string, start: number, count: number): number {
  if (start + count > s.length) return -1;
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
