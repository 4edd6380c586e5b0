// Module GICSnapshot: being built; see the module README in the issue.
