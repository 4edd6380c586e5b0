/// Conformance scenarios run against a real kernel (and, later, the reference model).
enum ConformanceModule {}
