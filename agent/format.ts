/** Decimal units, as drive labels and most operating systems' file managers show them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** "45 s", "12 min", "3 h 12 min", "2 d 3 h": two units at most, enough for a status line. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** One decimal below 10% (where 4.6% and 5% differ in state), whole numbers above. */
export function formatPercent(percent: number): string {
  const tenths = Math.round(percent * 10) / 10;
  return `${tenths < 10 && !Number.isInteger(tenths) ? tenths.toFixed(1) : Math.round(tenths)}%`;
}
