#include "service/config/flags.hpp"

#include "service/config/options.hpp"

namespace vgpu::config {

CommandLine parse_flags(std::span<const std::string_view> args) {
  CommandLine out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out.help = true;
      continue;
    }
    if (arg.size() <= 2 || arg.substr(0, 2) != "--") {
      throw ConfigError("unexpected argument '" + std::string(arg) + "'");
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const OptionSpec* option = name == "config" ? nullptr : find_option(name);
    // Flags are spelt with '-'; "--data_dir" is refused so that one spelling is documented.
    if (name != "config" && (option == nullptr || flag_name(option->key) != "--" + std::string(name))) {
      throw ConfigError("unknown flag '--" + std::string(name) + "'");
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (option != nullptr && option->is_switch) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = std::string(args[++i]);
    } else {
      throw ConfigError("flag '--" + std::string(name) + "' needs a value");
    }
    if (option == nullptr) {
      out.config_path = value;
    } else {
      out.settings.push_back({std::string(option->key), value, "flag " + flag_name(option->key)});
    }
  }
  return out;
}

}  // namespace vgpu::config
