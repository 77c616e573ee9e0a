import { css } from 'lit';

/** Calls and booking: the days, the times and the time zone. */
export const scheduleStyles = css`
  .slots {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(84px, 1fr));
    gap: 6px;
  }
  .days {
    display: flex;
    gap: 6px;
    overflow-x: auto;
    padding-block-end: 2px;
  }
  .days button {
    flex: none;
    padding: 6px 10px;
    font-size: 14px;
  }
  .day-label {
    margin: 4px 0 0;
    font-size: 14px;
    font-weight: 600;
  }
  .zone {
    margin: 0;
    font-size: 13px;
  }
  .subtitle {
    margin-block-start: -6px;
  }
  .days button[aria-pressed='true'],
  .slots button[aria-pressed='true'] {
    border-color: var(--_brand);
    background: var(--_brand);
    color: var(--_brand-contrast);
  }
  .booked {
    border-inline-start: 4px solid var(--_brand);
  }
  .button-link {
    display: block;
    margin-block: 12px;
    padding: 9px 14px;
    border: 1px solid var(--_brand);
    border-radius: 8px;
    color: var(--_brand);
    text-align: center;
    text-decoration: none;
  }
`;
