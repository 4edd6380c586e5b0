// Module GICv5Model: being built; see the module README in the issue.
