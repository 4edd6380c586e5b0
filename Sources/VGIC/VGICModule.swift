/// The vgic device API: configuration, creation, line levels and typed register access,
/// shaped after Apple's hv_gic_* but for KVM. (Being built for issue 3.)
enum VGICModule {}
