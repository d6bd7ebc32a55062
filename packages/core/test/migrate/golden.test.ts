import { claimsToYaml, migrate, validateClaim } from '@eds/core';
import { describe, expect, it } from 'vitest';
import { cases, golden, reportJson } from './cases.js';

describe('migrate golden cases', () => {
  for (const c of cases()) {
    it(`${c.name}: ${c.reason}`, () => {
      const result = migrate(c.files);
      if (!result.ok) {
        const actual = `${JSON.stringify(result.problems, null, 2)}\n`;
        expect(golden(c.dir, 'expected.problems.json', actual)).toBe(actual);
        return;
      }
      const claims = claimsToYaml(result.report.services.map((s) => s.claim));
      expect(golden(c.dir, 'expected.claim.yaml', claims)).toBe(claims);
      expect(golden(c.dir, 'expected.report.json', reportJson(result.report))).toBe(
        reportJson(result.report),
      );
      for (const s of result.report.services) {
        expect(validateClaim(s.claim)).toMatchObject({ ok: true });
      }
    });
  }
});
