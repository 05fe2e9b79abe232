#pragma once
// Hot loops for the embedded engine. See kernels.c.
