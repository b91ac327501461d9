#pragma once
// From the [vgpu] options to the frozen VgpuConfig the scheduler, the API and the store share:
// the shipped catalog with the operator's catalog files over it, the Nova name mappings resolved
// to catalog profiles, weights, licence counting, request-mix options. Any error stops start-up
// (ConfigError, exit code 2): a catalog error as `file:line: message`, a mapping to a profile the
// catalog lacks naming the option.
#include <memory>

#include "scheduler/vgpu/catalog_csv.hpp"
#include "scheduler/vgpu/vgpu_config.hpp"
#include "service/config/config.hpp"

namespace vgpu::config {

// Pure: `overrides` are the texts of the operator's files (empty texts: none), with their paths
// as sources.
std::shared_ptr<const scheduler::vgpu::VgpuConfig> build_vgpu_config(
    const VgpuOptions& options, const scheduler::vgpu::CatalogLayer& overrides);

// Reads the files the options name (an unreadable one is a ConfigError naming the option),
// then build_vgpu_config.
std::shared_ptr<const scheduler::vgpu::VgpuConfig> load_vgpu_config(const VgpuOptions& options);

}  // namespace vgpu::config
