// Module CheckedVGIC: being built.
