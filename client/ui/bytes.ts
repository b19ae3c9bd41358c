/**
 * Sizes as the operating systems people compare with show them: disks in decimal units (a
 * "512 GB" drive), memory in binary ones (16 GiB of RAM is sold and shown as "16 GB").
 */
export function formatBytes(bytes: number, unit: 'disk' | 'memory' = 'disk'): string {
  const base = unit === 'memory' ? 1024 : 1000;
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = Math.max(0, bytes);
  let index = 0;
  while (value >= base && index < units.length - 1) {
    value /= base;
    index++;
  }
  const digits = value >= 100 || index === 0 ? 0 : value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[index]}`;
}
