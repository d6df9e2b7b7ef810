import { describe, expect, it } from 'vitest';
import {
  addRecipient,
  confirmKey,
  isoDate,
  needsReason,
  nextSteps,
  type ReceivedDocument,
  splitReceived,
  stateKey,
  stepKey,
} from './received';
import { externalSendMessages, receivedScreenMessages } from './received-texts';
import { href, parseRoute } from './router';

const STATES = ['arrived', 'refused', 'accepted', 'assigned', 'in-progress', 'done', 'recalled'] as const;

const doc = (id: string, state: ReceivedDocument['state'], receivedAt: string): ReceivedDocument => ({
  id,
  state,
  stateLabel: state,
  receivedAt,
  updatedAt: receivedAt,
});

// Documents received from other agencies through the national exchange (issue 20): the clerk's screen.
describe('documents received from other agencies', () => {
  it('offers the steps of the standard in order, none once final', () => {
    expect(nextSteps('arrived')).toEqual(['accept', 'refuse']);
    expect(nextSteps('accepted')).toEqual(['assign', 'start', 'refuse']);
    expect(nextSteps('assigned')).toEqual(['start', 'resolve']);
    expect(nextSteps('in-progress')).toEqual(['resolve']);
    for (const state of ['done', 'refused', 'recalled'] as const) expect(nextSteps(state)).toEqual([]);
  });

  it('asks a reason for a refusal only', () => {
    expect(needsReason('refuse')).toBe(true);
    for (const step of ['accept', 'assign', 'start', 'resolve'] as const)
      expect(needsReason(step)).toBe(false);
  });

  it('lists refused packages apart, newest first', () => {
    const { documents, refused } = splitReceived([
      doc('a', 'arrived', '2026-12-01T01:00:00Z'),
      doc('b', 'refused', '2026-12-02T01:00:00Z'),
      doc('c', 'done', '2026-12-03T01:00:00Z'),
      doc('d', 'refused', '2026-11-30T01:00:00Z'),
    ]);
    expect(documents.map((d) => d.id)).toEqual(['c', 'a']);
    expect(refused.map((d) => d.id)).toEqual(['b', 'd']);
  });

  it('reads edXML dates', () => {
    expect(isoDate('2026/11/27')).toBe('2026-11-27');
    expect(isoDate('2026-11-27')).toBe('2026-11-27');
    expect(isoDate('27/11/2026')).toBeUndefined();
    expect(isoDate(undefined)).toBeUndefined();
  });

  it('has every state, step and question in both languages, no code shown', () => {
    const keys = [
      ...STATES.map(stateKey),
      ...(['accept', 'assign', 'start', 'resolve', 'refuse'] as const).flatMap((s) => [
        stepKey(s),
        confirmKey(s),
      ]),
    ];
    for (const key of keys)
      for (const language of ['vi', 'en'] as const) {
        const text = receivedScreenMessages.render(key, language, { code: '12/QĐ-BNV' });
        expect(text).not.toContain(key);
        expect(text).not.toMatch(/\{|\}/);
      }
    expect(receivedScreenMessages.render('nav', 'vi')).toBe('Văn bản liên thông');
    expect(receivedScreenMessages.render('nav', 'en')).toBe('From other agencies');
  });

  it('has a route of its own', () => {
    expect(parseRoute('#/received')).toEqual({ page: 'received' });
    expect(href({ page: 'received' })).toBe('#/received');
  });
});

describe('sending to other agencies', () => {
  it('takes an agency code as the contract does, once each, at most 100', () => {
    const first = addRecipient([], ' 000.00.00.g22 ', '  Bộ   Nội vụ ');
    expect(first).toEqual({ list: [{ organId: '000.00.00.G22', organName: 'Bộ Nội vụ' }] });
    if (!('list' in first)) throw new Error('unreachable');
    expect(addRecipient(first.list, '000.00.00.G22', '')).toEqual({ error: 'codeTwice' });
    expect(addRecipient(first.list, 'G22', '')).toEqual({ error: 'codeInvalid' });
    expect(addRecipient(first.list, '000.00.00.H26x', '')).toEqual({ error: 'codeInvalid' });
    expect(addRecipient(first.list, 'H01.01.01.H26', '')).toEqual({
      list: [...first.list, { organId: 'H01.01.01.H26' }],
    });
    const full = Array.from({ length: 100 }, (_, i) => ({
      organId: `000.00.${String(i).padStart(2, '0')}.G01`,
    }));
    expect(addRecipient(full, '000.00.00.G02', '')).toEqual({ error: 'tooMany' });
  });

  it('says every problem and step in both languages', () => {
    for (const key of externalSendMessages.codes)
      for (const language of ['vi', 'en'] as const)
        expect(externalSendMessages.render(key, language, { count: 2, name: 'Bộ Nội vụ' })).not.toMatch(
          /\{|\}/,
        );
  });
});
