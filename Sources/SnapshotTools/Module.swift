// Module SnapshotTools: being built; see the module README in the issue.
