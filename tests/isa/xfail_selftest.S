# Deliberately failing test: proves the harness reports a failure and the
# right TESTNUM. Test case 2 passes, 3 must fail (1 + 1 is not 3), 4 is
# never reached. tests/isa.rs expects exactly `Htif { code: 3 }`.

rvtest_code_begin

    test_rr 2, add, 2, 1, 1
    test_rr 3, add, 3, 1, 1
    test_rr 4, add, 4, 2, 2

rvtest_code_end
