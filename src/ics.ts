/** A booked meeting as an iCalendar file (RFC 5545), for the visitor's calendar. */
export function meetingIcs(meeting: { start: Date; minutes: number; title: string; uid: string; now: Date }): string {
  const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  // Text values escape backslashes, semicolons, commas and line breaks (RFC 5545 3.3.11).
  const text = (t: string) => t.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//chat-widget//booking//EN',
    'BEGIN:VEVENT',
    `UID:${text(meeting.uid)}`,
    `DTSTAMP:${utc(meeting.now)}`,
    `DTSTART:${utc(meeting.start)}`,
    `DTEND:${utc(new Date(meeting.start.getTime() + meeting.minutes * 60_000))}`,
    `SUMMARY:${text(meeting.title)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
