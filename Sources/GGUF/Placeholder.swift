// GGUF: placeholder until its first real file lands; delete then.
