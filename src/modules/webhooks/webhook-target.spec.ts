import { webhookUrlProblem } from './webhook-events';
import { forbiddenAddress, forbiddenHost } from './webhook-target';

describe('webhook targets', () => {
  it('refuses link-local, metadata and unspecified addresses, v4 and v6', () => {
    for (const address of [
      '169.254.169.254',
      '169.254.0.1',
      '169.254.255.255',
      '0.0.0.0',
      '0.1.2.3',
      '100.100.100.200',
      '::',
      'fe80::1',
      'febf:ffff::1',
      'FE80::abcd',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::ffff:0.0.0.0',
      '::a9fe:a9fe',
      '64:ff9b::a9fe:a9fe',
      '0:0:0:0:0:ffff:a9fe:a9fe',
    ])
      expect({ address, why: forbiddenAddress(address) }).toEqual({ address, why: expect.any(String) });
  });

  it('allows loopback, private, shared and public addresses, v4 and v6', () => {
    for (const address of [
      '127.0.0.1',
      '10.20.30.40',
      '172.16.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '100.100.100.201',
      '169.253.255.255',
      '169.255.0.0',
      '1.0.0.0',
      '8.8.8.8',
      '::1',
      'fd12:3456::1',
      'fec0::1',
      'fe7f::1',
      'fec0::',
      '2001:db8::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'fd00:ec2::253',
    ])
      expect({ address, why: forbiddenAddress(address) }).toEqual({ address, why: null });
  });

  it('names are not addresses: they are checked when resolved at delivery', () => {
    expect(forbiddenHost('metadata.google.internal')).toBeNull();
    expect(forbiddenHost('[fe80::1]')).toEqual(expect.any(String));
    expect(forbiddenHost('[::1]')).toBeNull();
  });

  it('every way of writing 169.254.169.254 in a URL is refused; intranet URLs are not', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://0xa9fea9fe/',
      'http://0xA9.0xFE.0xA9.0xFE/',
      'http://2852039166/',
      'http://0251.0376.0251.0376/',
      'http://169.254.43518/',
      'http://169.254.169.254./',
      'https://[::ffff:169.254.169.254]/',
      'https://[::ffff:a9fe:a9fe]:8443/',
      'http://[::a9fe:a9fe]/',
      'http://[fe80::1]/',
      'http://[::]/',
      'http://0/',
      'http://0.0.0.0:8080/',
      'http://100.100.100.200/latest/meta-data/',
      'http://[fd00:ec2::254]/',
    ])
      expect({ url, problem: webhookUrlProblem(url) }).toEqual({
        url,
        problem: expect.stringMatching(/^must not point to/),
      });
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://[::1]:8080/hook',
      'http://localhost/hook',
      'http://10.20.30.40:8080/hook',
      'https://oa.example.gov.cn/hooks/zqt',
      'http://[fd12::1]/',
    ])
      expect({ url, problem: webhookUrlProblem(url) }).toEqual({ url, problem: null });
  });
});
