// Hot loops for the embedded engine.
