import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** `host:port` or `[ipv6]:port` (port 0: any free one); undefined when it is neither. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = HOST_PORT.exec(text);
  if (!match) return undefined;
  const [, bracketed, name, portText] = match;
  const port = Number(portText);
  if (port > 65535) return undefined;
  if (bracketed !== undefined) return isIP(bracketed) === 6 ? { host: bracketed, port } : undefined;
  return name === undefined ? undefined : { host: name, port };
}
