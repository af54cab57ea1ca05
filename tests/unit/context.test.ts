import { GraphQLError } from 'graphql';
import { ANONYMOUS, GATEWAY_SECRET_HEADER, VIEWER_HEADER, decodeViewer, encodeViewer, sentByGatewayCheck, viewerFromClaims } from '../../shared/context';
import { viewerFromHeaders } from '../../shared/subgraph';

const SECRET = 's'.repeat(40);
const fromGateway = sentByGatewayCheck([SECRET]);
const advisor = { subject: 'u1', role: 'ADVISOR' as const, prefectureCode: '01' };

describe('viewer from token claims', () => {
  it('accepts a prefecture-bound role with its prefecture, by its exact name only', () => {
    expect(viewerFromClaims({ sub: 'u1', role: 'ADVISOR', prefecture: '01' })).toEqual(advisor);
    for (const role of ['advisor', 'Advisor', 'ADVISOR ']) expect(viewerFromClaims({ sub: 'u1', role, prefecture: '01' })).toHaveProperty('invalid');
  });
  it('drops the prefecture of a national role', () => {
    expect(viewerFromClaims({ sub: 'a', role: 'ANALYST', prefecture: '13' })).toEqual({
      subject: 'a',
      role: 'ANALYST',
      prefectureCode: null,
    });
  });
  it('takes a subject of up to 255 characters, as OpenID Connect bounds it', () => {
    expect(viewerFromClaims({ sub: 'u'.repeat(255), role: 'ANALYST' })).toMatchObject({ subject: 'u'.repeat(255) });
  });
  it.each([
    [{ role: 'ADVISOR', prefecture: '01' }, 'subject'],
    [{ sub: 'u', role: 'KING' }, 'role'],
    [{ sub: 'u', role: 'ADVISOR' }, 'prefecture'],
    [{ sub: 'u', role: 'PREFECTURE_STAFF', prefecture: '48' }, 'prefecture'],
    [{ sub: 'u'.repeat(256), role: 'ANALYST' }, 'over 255 characters'],
  ])('refuses %j (%s)', (claims, mentions) => {
    const viewer = viewerFromClaims(claims);
    expect('invalid' in viewer && viewer.invalid).toContain(mentions);
  });
});

describe('viewer between gateway and subgraph', () => {
  it('round-trips through the header, anonymous included', () => {
    expect(decodeViewer(encodeViewer(advisor))).toEqual(advisor);
    expect(decodeViewer(encodeViewer(ANONYMOUS))).toEqual(ANONYMOUS);
    expect(decodeViewer('not base64 json')).toBeUndefined();
  });

  it('accepts the previous gateway secret while it is being changed, and no other', () => {
    const previous = 'p'.repeat(40);
    let previousPresented = 0;
    const changing = sentByGatewayCheck([SECRET, previous], () => void (previousPresented += 1));
    expect(changing({ [GATEWAY_SECRET_HEADER]: SECRET })).toBe(true);
    expect(previousPresented).toBe(0);
    expect(changing({ [GATEWAY_SECRET_HEADER]: previous })).toBe(true);
    expect(previousPresented).toBe(1); // counted, to tell when no gateway sends it any more
    for (const presented of ['q'.repeat(40), SECRET.slice(1), `${SECRET}s`, '', undefined]) {
      expect(changing({ [GATEWAY_SECRET_HEADER]: presented })).toBe(false);
    }
    expect(fromGateway({ [GATEWAY_SECRET_HEADER]: previous })).toBe(false); // once the change is over
  });

  it('answers only the gateway, and believes x-viewer only with its secret', () => {
    const viewer = encodeViewer(advisor);
    expect(viewerFromHeaders({ [GATEWAY_SECRET_HEADER]: SECRET, [VIEWER_HEADER]: viewer }, fromGateway)).toEqual(advisor);
    expect(viewerFromHeaders({ [GATEWAY_SECRET_HEADER]: SECRET }, fromGateway)).toEqual(ANONYMOUS);
    for (const headers of [{}, { [VIEWER_HEADER]: viewer }, { [GATEWAY_SECRET_HEADER]: 'wrong', [VIEWER_HEADER]: viewer }]) {
      let thrown: unknown;
      try {
        viewerFromHeaders(headers, fromGateway);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as GraphQLError).extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});
