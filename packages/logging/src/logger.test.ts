import { Writable } from 'node:stream';
import { createLogger, withCorrelationId } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level name and ISO time', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'svc', destination }).info({ n: 1 }, 'hello');
    expect(lines[0]).toMatchObject({ service: 'svc', level: 'info', msg: 'hello', n: 1 });
    expect(lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('respects the level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'svc', level: 'warn', destination });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('redacts credentials in fields and in error texts', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'svc', destination });
    logger.info({ config: { kafka: { saslPassword: 'p1' }, registry: { password: 'p2' } } }, 'config');
    logger.info({ req: { headers: { authorization: 'Basic p3' } } }, 'request');
    logger.error({ err: new Error('cannot reach mongodb://app:p4@db:27017') }, 'failed');
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/p1|p2|p3|p4/);
    expect(lines[2]).toMatchObject({
      err: { message: 'cannot reach mongodb://***@db:27017', type: 'Error' },
    });
  });

  it('adds the correlation id to every line of a child logger', () => {
    const { lines, destination } = capture();
    withCorrelationId(createLogger({ service: 'svc', destination }), 'c-1').info('x');
    expect(lines[0]).toMatchObject({ service: 'svc', correlation_id: 'c-1' });
  });
});
