// The one parser of HTTP dates (RFC 9110 §5.6.7), used by every conditional header.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// No nested or adjacent open-ended quantifiers: each pattern matches in linear time.
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MONTH}) ([ \\d]\\d) ${TIME} (\\d{4})$`);
// The longest valid form, RFC 850 with "Wednesday", is 37 characters.
const MAX_LENGTH = 40;

function toTime(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  if (hour > 23 || minute > 59 || second > 60) return undefined; // 60: a leap second
  const monthIndex = MONTHS.indexOf(month);
  const time = Date.UTC(year, monthIndex, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March: such a day does not exist, so the date is invalid.
  if (day < 1 || new Date(time).getUTCDate() !== day) return undefined;
  return time;
}

/**
 * Parses an HTTP-date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or the obsolete RFC 850
 * and asctime forms a recipient must still accept. Anything else (ISO 8601, a bare number,
 * what `Date.parse` would guess at) is undefined, so the header that carried it is ignored.
 * @example
 * parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT') // 784111777000
 * parseHttpDate('2099-01-01T00:00:00Z')          // undefined
 */
export function parseHttpDate(value: string): number | undefined {
  if (value.length > MAX_LENGTH) return undefined;
  let match = IMF_FIXDATE.exec(value);
  if (match !== null) {
    const [, day, month, year, hour, minute, second] = match as unknown as string[];
    return toTime(Number(year), month!, Number(day), Number(hour), Number(minute), Number(second));
  }
  match = RFC_850.exec(value);
  if (match !== null) {
    const [, day, month, shortYear, hour, minute, second] = match as unknown as string[];
    // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century.
    const thisYear = new Date().getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(shortYear);
    if (year > thisYear + 50) year -= 100;
    return toTime(year, month!, Number(day), Number(hour), Number(minute), Number(second));
  }
  match = ASCTIME.exec(value);
  if (match !== null) {
    const [, month, day, hour, minute, second, year] = match as unknown as string[];
    return toTime(Number(year), month!, Number(day!.trim()), Number(hour), Number(minute), Number(second));
  }
  return undefined;
}
