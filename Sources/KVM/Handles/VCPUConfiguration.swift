import CKVM

/// What `KVM_ARM_VCPU_INIT` takes: a target and the `features[0]` bits.
public struct VCPUConfiguration: Hashable, Sendable {
    /// The CPU target; `KVM_ARM_PREFERRED_TARGET` gives the right one (GENERIC_V8 = 5).
    public var target: UInt32
    /// The requested features.
    public var features: Set<Feature>

    public init(target: UInt32, features: Set<Feature> = []) {
        self.target = target
        self.features = features
    }

    /// A `KVM_ARM_VCPU_*` feature bit of `features[0]`.
    public struct Feature: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Start powered off (secondary CPUs waiting for PSCI CPU_ON).
        public static let powerOff = Feature(rawValue: CKVM_ARM_VCPU_POWER_OFF)
        public static let el1AArch32 = Feature(rawValue: CKVM_ARM_VCPU_EL1_32BIT)
        public static let psci02 = Feature(rawValue: CKVM_ARM_VCPU_PSCI_0_2)
        public static let pmuV3 = Feature(rawValue: CKVM_ARM_VCPU_PMU_V3)
        public static let sve = Feature(rawValue: CKVM_ARM_VCPU_SVE)
        public static let pointerAuthAddress = Feature(rawValue: CKVM_ARM_VCPU_PTRAUTH_ADDRESS)
        public static let pointerAuthGeneric = Feature(rawValue: CKVM_ARM_VCPU_PTRAUTH_GENERIC)
        /// Nested virtualisation (needs `KVM_CAP_ARM_EL2`).
        public static let el2 = Feature(rawValue: CKVM_ARM_VCPU_HAS_EL2)
    }

    /// The `features[0]` word.
    func featureWord() throws(KVMError) -> UInt32 {
        var word: UInt32 = 0
        for feature in features {
            guard feature.rawValue < 32 else {
                throw KVMError.invalidArgument(Attempt(.armVCPUInit), reason: .vcpuFeature(bit: feature.rawValue))
            }
            word |= 1 << feature.rawValue
        }
        return word
    }
}
