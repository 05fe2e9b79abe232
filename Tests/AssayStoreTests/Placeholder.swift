// AssayStoreTests: placeholder until its first real test lands; delete then.
