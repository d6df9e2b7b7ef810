import { dynamoDocumentRepository } from '../adapters/document-store';
import { edxmlSchema } from '../adapters/edxml-schema';
import { HttpExchange } from '../adapters/exchange-client';
import {
  dynamoExchangeLedger,
  dynamoOutgoingRegister,
  dynamoReceivedDocuments,
} from '../adapters/exchange-store';
import { readRevision } from '../adapters/file-store';
import { nationalAgencies } from '../adapters/national-agencies';
import { exchangeContracts } from '../contracts/exchange';
import { agencyCatalogue, searchAgencies } from '../core/exchange/catalogue';
import type { Language } from '../core/i18n/catalogue';
import { exchangeMessages, exchangeStatusCode } from '../core/i18n/exchange';
import { apiHandler, ok } from '../http/api';
import type { ExternalDelivery, ReceivedDocument } from '../ports/exchange';
import { externalDeliveries, externalDeliveryHistory, sendExternal } from '../use-cases/exchange';
import {
  actOnReceived,
  listReceived,
  receivedHistory,
  receivedId,
  receivedKey,
} from '../use-cases/exchange-incoming';
import { writeOptions } from './wiring';

/*
 * The national document exchange for people: a clerk sends an issued document to agencies outside the city
 * and sees their statuses; an organisation's clerk sees what came in and answers it. What waits at the
 * exchange is taken by the scheduled poller (handlers/exchange-poller.ts), not here.
 */

let exchange: HttpExchange | undefined;
const ports = {
  documents: dynamoDocumentRepository,
  files: { readRevision },
  get exchange() {
    exchange ??= HttpExchange.fromEnvironment();
    return exchange;
  },
  ledger: dynamoExchangeLedger,
  outgoingRegister: dynamoOutgoingRegister,
  received: dynamoReceivedDocuments,
  schema: edxmlSchema,
  now: () => new Date(),
};

const delivery = (d: ExternalDelivery, language: Language) => ({
  organId: d.organId,
  ...(d.organName ? { organName: d.organName } : {}),
  state: d.state,
  stateLabel: exchangeMessages.render(exchangeStatusCode(d.state), language),
  ...(d.description ? { description: d.description } : {}),
  updatedAt: d.updatedAt,
});

const stateLabel = (state: ReceivedDocument['state'], language: Language) =>
  exchangeMessages.render(
    state === 'recalled' ? 'exchange_received_state_recalled' : exchangeStatusCode(state),
    language,
  );

const received = (d: ReceivedDocument, language: Language) => ({
  id: receivedId(d.key),
  ...(d.orgId ? { orgId: d.orgId } : {}),
  ...(d.from ? { from: d.from } : {}),
  ...(d.code ? { code: d.code } : {}),
  ...(d.promulgationDate ? { promulgationDate: d.promulgationDate } : {}),
  ...(d.subject ? { subject: d.subject } : {}),
  ...(d.docType ? { docType: d.docType } : {}),
  ...(d.arrivalNumber ? { arrivalNumber: d.arrivalNumber } : {}),
  ...(d.file ? { file: d.file } : {}),
  ...(d.attachments?.length ? { attachments: d.attachments } : {}),
  state: d.state,
  stateLabel: exchangeMessages.render(
    d.state === 'recalled' ? 'exchange_received_state_recalled' : exchangeStatusCode(d.state),
    language,
  ),
  ...(d.reason ? { reason: d.reason[language] } : {}),
  receivedAt: d.receivedAt,
  updatedAt: d.updatedAt,
});

export const handler = apiHandler(
  'exchange',
  exchangeContracts,
  {
    'POST /api/documents/{id}/external-sends': async ({ caller, id, body, language }) => {
      const sent = await sendExternal(ports, caller, id, body.recipients);
      return ok({ deliveries: sent.map((d) => delivery(d, language)) });
    },
    'GET /api/documents/{id}/external-deliveries': async ({ caller, id, language }) =>
      ok({
        deliveries: (await externalDeliveries(ports, caller, id)).map((d) => delivery(d, language)),
      }),
    'GET /api/exchange/agencies': async ({ caller, query }) =>
      ok({ items: searchAgencies(agencyCatalogue(caller.directory, nationalAgencies()), query.query ?? '') }),
    'GET /api/documents/{id}/external-deliveries/history': async ({ caller, id, language }) =>
      ok({
        events: (await externalDeliveryHistory(ports, caller, id)).map((d) => ({
          organId: d.organId,
          ...(d.organName ? { organName: d.organName } : {}),
          state: d.state,
          stateLabel: exchangeMessages.render(exchangeStatusCode(d.state), language),
          ...(d.description ? { description: d.description } : {}),
          at: d.updatedAt,
        })),
      }),
    'GET /api/exchange/received': async ({ caller, language }) =>
      ok({ items: (await listReceived(ports, caller)).map((d) => received(d, language)) }),
    'GET /api/exchange/received/{id}/history': async ({ caller, id, language }) =>
      ok({
        events: (await receivedHistory(ports, caller, receivedKey(id))).map((e) => ({
          state: e.state,
          stateLabel: stateLabel(e.state, language),
          ...(e.description ? { description: e.description } : {}),
          at: e.at,
        })),
      }),
    'POST /api/exchange/received/{id}/steps': async ({ caller, id, body, language }) =>
      ok(received(await actOnReceived(ports, caller, receivedKey(id), body.step, body.reason), language)),
  },
  writeOptions(),
);
