"""bench/stack.py's CPU accounting: a PostgreSQL backend that exits between two samples
never makes the database's CPU negative (no stack needed: synthetic samples)."""

import os

from bench import stack


def test_backends_are_counted_one_by_one_and_an_exited_one_never_subtracts():
    before = stack.CpuSample(
        trees={"app": 10.0, "nginx": 1.0},
        backends={(100, 1): 5.0, (101, 1): 2.0, (102, 1): 7.0},
    )
    after = stack.CpuSample(
        # 101 went on; 102 exited (a recycled worker's connection) with its 7 s; 103 is
        # new; 100's pid was reused by a new backend (another start time).
        trees={"app": 12.5, "nginx": 1.25},
        backends={(101, 1): 2.5, (103, 9): 0.75, (100, 9): 0.25},
    )
    used, exited = stack.cpu_used(before, after)
    assert used == {"app": 2.5, "nginx": 0.25, "postgres": 1.5}
    assert exited == 2


def test_a_sample_of_this_machine_reads_the_process_trees():
    sample = stack.cpu_sample(roots={"self": [os.getpid()]}, database="no_such_database")
    assert sample.trees["self"] > 0
    assert sample.backends == {}
