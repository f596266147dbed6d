import { test } from 'node:test';
import { check } from './bruteforce.ts';
import { I3, diag, lmoModel } from './groundstate-helpers.ts';

test('lmo_drx (3- and 5-species sites, Mn2+/3+/4+, vacancies, Ewald): MILP = enumeration on 1 and 2 prim cells', async () => {
  const ce = lmoModel();
  for (const sc of [I3, diag(2, 1, 1), diag(1, 1, 2)]) {
    await check(ce, sc, {}, 'lmo free');
    await check(ce, sc, { mu: { 'Li+': 3 } }, 'lmo μ(Li)');
    await check(ce, sc, { mu: { 'Mn2+': 4 } }, 'lmo μ(Mn2+)');
  }
});
