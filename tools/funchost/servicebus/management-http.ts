import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Broker } from './broker';

/**
 * The Atom management endpoint's runtime-properties read, as Service Bus (and its emulator, on port
 * 5300) answers `ServiceBusAdministrationClient.getQueueRuntimeProperties`: GET `/<queue>?api-version=…`
 * → an Atom entry whose QueueDescription carries MessageCount and CountDetails. Only this read is
 * served (the app's queue-depth timer and dashboard use it); anything else answers 501 at once.
 * Plain HTTP: the app's administration client is pointed here for emulator connection strings.
 */
export async function startManagementServer(
  broker: Broker,
  now: () => Date,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const name = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
    if (request.method !== 'GET' || !name || name.startsWith('$') || name.includes('/')) {
      response.writeHead(501, { 'content-type': 'application/xml' });
      response.end(errorXml(501, 'Only GET <queue> (runtime properties) is emulated.'));
      return;
    }
    let active: number;
    let deadLetter: number;
    try {
      active = broker.store(name).count();
      deadLetter = broker.store(`${name}/$deadletterqueue`).count();
    } catch {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end(errorXml(404, `The messaging entity '${name}' could not be found.`));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/atom+xml;type=entry;charset=utf-8' });
    response.end(
      queueEntryXml(`http://${request.headers.host ?? 'localhost'}`, name, active, deadLetter, now()),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of administration clients
      }),
  };
}

function queueEntryXml(base: string, name: string, active: number, deadLetter: number, at: Date): string {
  const time = at.toISOString();
  const d = 'd2p1';
  return `<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom"><id>${base}/${name}?api-version=2021-05</id><title type="text">${name}</title><published>${time}</published><updated>${time}</updated><link rel="self" href="${base}/${name}?api-version=2021-05"/><content type="application/xml"><QueueDescription xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><SizeInBytes>0</SizeInBytes><CreatedAt>${time}</CreatedAt><UpdatedAt>${time}</UpdatedAt><AccessedAt>${time}</AccessedAt><MessageCount>${active + deadLetter}</MessageCount><CountDetails xmlns:${d}="http://schemas.microsoft.com/netservices/2011/06/servicebus"><${d}:ActiveMessageCount>${active}</${d}:ActiveMessageCount><${d}:DeadLetterMessageCount>${deadLetter}</${d}:DeadLetterMessageCount><${d}:ScheduledMessageCount>0</${d}:ScheduledMessageCount><${d}:TransferMessageCount>0</${d}:TransferMessageCount><${d}:TransferDeadLetterMessageCount>0</${d}:TransferDeadLetterMessageCount></CountDetails></QueueDescription></content></entry>`;
}

function errorXml(code: number, detail: string): string {
  return `<Error><Code>${code}</Code><Detail>${detail.replace(/[<&>]/g, '')}</Detail></Error>`;
}
