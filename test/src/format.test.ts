import { expect } from '@open-wc/testing';
import { format, inline } from '../../src/format.js';

describe('format: the formatting operators write, read as a tree (never HTML)', () => {
  it('bold, italic, code and links inside a line; HTML stays text', () => {
    expect(inline('**Refunds** take *five* days: see `/refunds` or https://example.com/r.')).to.deep.equal([
      { kind: 'bold', text: 'Refunds' },
      { kind: 'text', text: ' take ' },
      { kind: 'italic', text: 'five' },
      { kind: 'text', text: ' days: see ' },
      { kind: 'code', text: '/refunds' },
      { kind: 'text', text: ' or ' },
      { kind: 'link', text: 'https://example.com/r', href: 'https://example.com/r' },
      { kind: 'text', text: '.' },
    ]);
    expect(inline('<b>not bold</b> 2 * 3 * 4 snake_case_name')).to.deep.equal([{ kind: 'text', text: '<b>not bold</b> 2 * 3 * 4 snake_case_name' }]);
  });

  it('paragraphs, line breaks, lists and code blocks', () => {
    const blocks = format('Hello!\nTwo steps:\n\n1. Open Settings\n2. Choose **Security**\n\n- one\n- two\n\n```\nnpm install\n```');
    expect(blocks.map((b) => b.kind)).to.deep.equal(['paragraph', 'list', 'list', 'code']);
    expect((blocks[0] as { lines: unknown[] }).lines).to.have.length(2);
    expect(blocks[1]).to.deep.include({ ordered: true });
    expect((blocks[1] as { items: unknown[][] }).items[1]).to.deep.equal([{ kind: 'text', text: 'Choose ' }, { kind: 'bold', text: 'Security' }]);
    expect(blocks[2]).to.deep.include({ ordered: false });
    expect(blocks[3]).to.deep.equal({ kind: 'code', text: 'npm install' });
  });
});
