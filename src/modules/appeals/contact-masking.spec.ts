import { masksContact, maskName, maskPhone, webhookViewer, withContactMasked } from './disclosure';

describe('masked contacts (SPEC §11)', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['0571-87654321', '057****4321'],
    ['+86 138 1234 5678', '+86****5678'],
    ['12345678', '123****5678'],
    ['1234567', '*******'],
    ['', ''],
  ])('phone %s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['张三丰', '张**'],
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王', '*'],
    ['Li Lei', 'L*****'],
    ['𠮷野家', '𠮷**'],
    ['', ''],
  ])('name %s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('keeps null as null', () => {
    expect(maskPhone(null)).toBeNull();
    expect(maskName(null)).toBeNull();
    expect(withContactMasked({ contactName: null, contactPhone: null, x: 1 })).toEqual({
      contactName: null,
      contactPhone: null,
      x: 1,
    });
  });

  it('masks for departments and webhooks without contact access only', () => {
    expect(masksContact({ role: 'handler', departmentId: 'd' })).toBe(true);
    for (const role of ['enterprise', 'dispatcher', 'supervisor', 'admin'] as const)
      expect(masksContact({ role })).toBe(false);
    expect(masksContact(webhookViewer(true, false))).toBe(true);
    expect(masksContact(webhookViewer(false, true))).toBe(false);
    expect(masksContact(webhookViewer(true))).toBe(false);
  });
});
