import { describe, expect, it } from 'vitest';
import { ACCESS_POINT_OPER } from '../../restconf/accessPointOper';
import { AP_GLOBAL_OPER } from '../../restconf/apGlobalOper';
import { expectValidJsonAnswer, wrapJsonAnswer } from './yanglint';

// The helper every RESTCONF test leans on must be able to fail: these answers are wrong in the ways a mapping could go wrong.
describe('the yanglint helper', () => {
  it('rebuilds a subtree answer into a document rooted at the module, list keys included', () => {
    expect(wrapJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data', keys: ['aa:bb:cc:dd:ee:ff'] }, { name: 'name' }], { [`${ACCESS_POINT_OPER}:name`]: 'AP-1' })).toEqual({
      [`${ACCESS_POINT_OPER}:access-point-oper-data`]: { 'capwap-data': [{ 'wtp-mac': 'aa:bb:cc:dd:ee:ff', name: 'AP-1' }] },
    });
  });

  it("passes Cisco's leaves with their types, and fails with yanglint's own words otherwise", async () => {
    const stats = (value: unknown) => JSON.stringify({ [`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]: value });
    await expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], stats({ 'predownload-stats': { 'num-complete': 3, 'is-predownload-in-progress': false } }));
    await expect(expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], stats({ 'predownload-stats': { 'num-complete': '3' } }))).rejects.toThrow(
      /libyang err : Invalid non-number-encoded uint32 value "3"/,
    );
    await expect(expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], stats({ 'num-complete': 3 }))).rejects.toThrow(/Node "num-complete" not found/);
    const capwap = (entry: unknown) => JSON.stringify({ [`${ACCESS_POINT_OPER}:capwap-data`]: [entry] });
    await expect(expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data' }], capwap({ 'wtp-mac': '2c5a.0f40.6920', name: 'AP' }))).rejects.toThrow(
      /does not satisfy the pattern|Unsatisfied pattern/,
    );
    await expect(expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data' }], capwap({ name: 'AP' }))).rejects.toThrow(/List instance without key|missing/i);
  });
});
