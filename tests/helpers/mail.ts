/**
 * A small reader of the raw messages a test SMTP server receives: headers (encoded words decoded),
 * the text/plain and text/html parts (quoted-printable or base64 decoded), and the files attached.
 */
import { SMTPServer } from 'smtp-server';

export interface ParsedMail {
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

const decodeQp = (s: string): Buffer => {
  const bytes: number[] = [];
  const body = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '=' && /^[0-9A-F]{2}$/i.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(body[i]!, 'utf8'));
  }
  return Buffer.from(bytes);
};

const decodeWords = (v: string): string =>
  v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _cs, enc: string, data: string) =>
      (enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQp(data.replace(/_/g, ' '))).toString('utf8'),
    );

function splitHead(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return decodeQp(body).toString('utf8');
  return body;
}

export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitHead(raw);
  const out: ParsedMail = { headers, subject: headers.subject ?? '', text: '', html: '', attachments: [] };
  const walk = (h: Record<string, string>, b: string) => {
    const type = h['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const part of b.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        const p = splitHead(part.replace(/^\r?\n/, ''));
        walk(p.headers, p.body);
      }
    } else if (/attachment/i.test(h['content-disposition'] ?? ''))
      out.attachments.push({
        filename: /filename="?([^";]+)"?/i.exec(h['content-disposition']!)?.[1] ?? '',
        contentType: type.split(';')[0]!.trim(),
        content: Buffer.from(b.replace(/\s+/g, ''), 'base64'),
      });
    else if (type.startsWith('text/html')) out.html = decodeBody(h, b);
    else if (type.startsWith('text/plain')) out.text = decodeBody(h, b);
  };
  walk(headers, body);
  return out;
}

/** An SMTP server on 127.0.0.1 (smtp-server as it comes: STARTTLS, its own certificate) keeping what it receives. */
export async function catchMail(): Promise<{ port: number; mails: ParsedMail[]; close(): Promise<void> }> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    logger: false,
    onData(stream, _session, cb) {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        mails.push(parseMail(Buffer.concat(parts).toString('utf8')));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  return {
    port: smtp.server.address().port,
    mails,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}
