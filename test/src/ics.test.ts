import { expect } from '@open-wc/testing';
import { meetingIcs } from '../../src/ics.js';

describe('meetingIcs: a booked meeting for the calendar', () => {
  it('writes one event in UTC with its end from the duration, text escaped, CRLF lines', () => {
    const ics = meetingIcs({ start: new Date('2026-11-23T09:30:00Z'), minutes: 30, title: 'Product demo; with Ada, 30 min', uid: 'bk_1@chat-widget', now: new Date('2026-11-22T12:00:00Z') });
    expect(ics.split('\r\n')).to.deep.equal([
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//chat-widget//booking//EN', 'BEGIN:VEVENT', 'UID:bk_1@chat-widget', 'DTSTAMP:20261122T120000Z',
      'DTSTART:20261123T093000Z', 'DTEND:20261123T100000Z', 'SUMMARY:Product demo\\; with Ada\\, 30 min', 'END:VEVENT', 'END:VCALENDAR', '',
    ]);
  });
});
