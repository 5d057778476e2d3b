// Dependency graphs for resolver tests that both groups use: the unit tests on an in-memory
// index, the integration tests against the real pip.
import type { IndexFixture } from './testIndex';

/**
 * A random graph (from a differential run against pip 26) that takes pip's resolver 138 rounds of
 * backtracking: release N.0 of each project requires what its Nth list says.
 */
const KNOTS: Record<string, string[][]> = {
  knot0: [['knot6>=6.0', 'knot6<5.0'], ['knot11~=2.0', 'knot1~=5.0', 'knot5<=1.0'], ['knot3~=8.0', 'knot10', 'knot9<5.0'], ['knot5<3.0', 'knot4<7.0'], ['knot6==5.0']],
  knot1: [['knot3>=7.0'], ['knot10<3.0'], ['knot4==7.0', 'knot2', 'knot7<9.0'], ['knot2<6.0', 'knot11==6.0', 'knot6'], ['knot11', 'knot2<6.0', 'knot12>2.0'], ['knot2>=6.0', 'knot5<10.0'], ['knot12<4.0', 'knot12<=3.0', 'knot11~=7.0'], ['knot7', 'knot5<1.0'], ['knot9~=8.0', 'knot4<8.0', 'knot11<9.0']],
  knot2: [['knot8==3.0', 'knot9', 'knot6<10.0'], ['knot5<3.0'], ['knot3<1.0'], ['knot4<6.0', 'knot11~=5.0', 'knot4<=4.0'], ['knot7<5.0', 'knot8>=4.0'], ['knot5~=3.0'], ['knot3>1.0'], ['knot7~=4.0']],
  knot3: [['knot5<2.0', 'knot9~=4.0'], ['knot8==8.0'], ['knot12>=6.0', 'knot10<=1.0'], ['knot7<7.0', 'knot5'], ['knot5>2.0', 'knot8>=5.0', 'knot2<=6.0'], ['knot7==2.0'], ['knot6>9.0']],
  knot4: [['knot7>10.0', 'knot11>3.0'], ['knot5'], ['knot9>=7.0', 'knot10<6.0', 'knot8'], ['knot9<6.0'], ['knot5<3.0'], ['knot11', 'knot10<=3.0', 'knot11<=6.0'], ['knot8<=1.0', 'knot11~=3.0', 'knot7'], ['knot12>=4.0', 'knot10', 'knot6<4.0'], ['knot9>=6.0', 'knot8>=3.0']],
  knot5: [['knot2', 'knot7<4.0', 'knot12~=2.0'], ['knot10>5.0', 'knot10<5.0', 'knot4<8.0'], ['knot6', 'knot10>=5.0'], ['knot9'], ['knot6']],
  knot6: [['knot10==3.0', 'knot9>7.0', 'knot9<10.0'], ['knot12>6.0'], ['knot11<7.0', 'knot7<=2.0', 'knot4==4.0'], ['knot10~=6.0', 'knot10<10.0'], ['knot9==7.0', 'knot10<8.0'], ['knot8<8.0', 'knot8>7.0'], ['knot11<5.0', 'knot8<=4.0']],
  knot7: [['knot8>=8.0', 'knot11<=7.0'], [], ['knot12>6.0'], ['knot11<4.0', 'knot10<6.0'], ['knot12~=8.0', 'knot6<10.0'], ['knot8~=5.0', 'knot9<=2.0'], ['knot12<=8.0', 'knot12~=6.0', 'knot10<=8.0'], ['knot11<=10.0', 'knot8<8.0', 'knot12>=7.0'], ['knot8>9.0', 'knot6==10.0']],
  knot8: [['knot10==1.0', 'knot12>=6.0', 'knot12~=2.0'], ['knot12<2.0', 'knot11'], ['knot10<8.0', 'knot11==5.0'], ['knot12>=3.0', 'knot9>3.0'], ['knot7>=1.0', 'knot11>=3.0'], ['knot9<10.0'], ['knot11>4.0', 'knot10', 'knot11<=10.0'], ['knot11<=1.0'], ['knot12', 'knot11<6.0'], ['knot11>5.0', 'knot11==2.0', 'knot10']],
  knot9: [['knot10~=3.0'], ['knot11>=7.0', 'knot11', 'knot12>6.0'], ['knot11<3.0', 'knot6>6.0', 'knot12==9.0'], ['knot11<8.0', 'knot12<9.0', 'knot3>=2.0'], ['knot12>=3.0', 'knot11<1.0', 'knot11<10.0'], ['knot12==3.0', 'knot12<9.0', 'knot11'], ['knot11~=3.0', 'knot12']],
  knot10: [['knot12~=3.0'], ['knot11>4.0', 'knot12>=9.0'], ['knot11<3.0'], ['knot12<=8.0'], ['knot12<=7.0', 'knot12<5.0', 'knot12>=8.0']],
  knot11: [['knot3==9.0', 'knot8', 'knot12<=10.0'], ['knot0~=7.0', 'knot12<2.0'], ['knot12<10.0', 'knot12==4.0', 'knot12<1.0'], ['knot8', 'knot12~=2.0', 'knot4<=2.0'], ['knot12', 'knot12~=2.0', 'knot12<=10.0'], ['knot12<2.0', 'knot12==1.0'], ['knot12<4.0', 'knot12<5.0', 'knot12<1.0'], ['knot2<=10.0', 'knot12~=1.0']],
  knot12: [[], [], [], [], []],
};

/** KNOTS as a test-index fixture (wheels only). */
export const KNOTS_FIXTURE: IndexFixture = {
  projects: Object.fromEntries(
    Object.entries(KNOTS).map(([name, releases]) => [name, { versions: Object.fromEntries(releases.map((requiresDist, i) => [`${i + 1}.0`, { files: ['wheel' as const], requiresDist }])) }]),
  ),
};

/** What pip 26.2.1 installs for `knot1` and `knot0` (pip 23.2.1 finds no solution). */
export const KNOTS_PICKS = ['knot0==4.0', 'knot12==2.0', 'knot1==6.0', 'knot2==7.0', 'knot3==6.0', 'knot4==5.0', 'knot5==1.0', 'knot7==2.0'];
