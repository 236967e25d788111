#include "io/aws_dump_reader.h"

#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "io/json_errors.h"

namespace vpcsim::io {

namespace {

namespace gp = google::protobuf;

std::string known_keys() {
  std::string out;
  const gp::Descriptor* d = aws::Dump::descriptor();
  for (int i = 0; i < d->field_count(); ++i) out += (i ? ", " : "") + d->field(i)->name();
  return out;
}

template <class T>
void add_all(const gp::RepeatedPtrField<T>& items, const std::string& file, std::string_view key,
             std::vector<AwsObject<T>>& out) {
  for (int i = 0; i < items.size(); ++i) {
    out.push_back({&items.Get(i), AwsOrigin{file, fmt::format("{}[{}]", key, i)}});
  }
}

// The keys of the file's top-level object, parsed by protobuf into a Struct first: the
// importer dispatches on them and reports those it does not know.
std::expected<std::set<std::string>, Error> top_level_keys(const AwsJsonFile& f) {
  gp::Struct top;
  const auto status = gp::util::JsonStringToMessage(gp::StringPiece(f.content.data(), f.content.size()), &top);
  if (!status.ok()) {
    // A valid JSON value that is not an object also lands here.
    const bool object = f.content.find_first_not_of(" \t\r\n") != std::string::npos &&
                        f.content[f.content.find_first_not_of(" \t\r\n")] == '{';
    if (!object) {
      return std::unexpected(Error{f.name, 0, 0, "",
                                   "not AWS CLI JSON: the top level must be an object such as "
                                   "{\"SecurityGroups\": [...]} (aws ec2 describe-* --output json)"});
    }
    return std::unexpected(json_parse_error(std::string(status.message()), f.content, f.name, "invalid JSON: "));
  }
  std::set<std::string> keys;
  for (const auto& [key, value] : top.fields()) keys.insert(key);
  return keys;
}

std::string regex_escape(std::string_view text) {
  static const std::string kSpecial = R"(\^$.|?*+()[]{}/)";
  std::string out;
  for (const char c : text) {
    if (kSpecial.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// Protobuf reports a member of the wrong type as "(Path.To[0].Member): invalid value X for
// type TYPE_INT32". The path becomes the error's field; when `"Member": X` occurs once in
// the file, that is its line.
Error type_error(const std::string& status, const AwsJsonFile& f) {
  static const std::regex kShape(R"(^\((.*)\): (invalid value (.*) for type (\w+))$)");
  std::smatch m;
  if (!std::regex_match(status, m, kShape))
    return json_parse_error(status, f.content, f.name, "not the AWS CLI's JSON: ");
  const std::string path = m[1];
  Error e{f.name, 0, 0, path, fmt::format("{}: not what the AWS CLI prints here", m[2].str())};
  const std::string member = path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
  const std::string key = member.substr(0, member.find('['));
  const std::regex occurrence("\"" + regex_escape(key) + "\"\\s*:\\s*" + regex_escape(m[3].str()));
  auto it = std::sregex_iterator(f.content.begin(), f.content.end(), occurrence);
  if (it != std::sregex_iterator() && std::next(it) == std::sregex_iterator()) {
    const std::string_view before(f.content.data(), static_cast<std::size_t>(it->position()));
    e.line = 1 + static_cast<int>(std::ranges::count(before, '\n'));
  }
  return e;
}

}  // namespace

AwsOrigin AwsOrigin::child(std::string_view field, std::size_t index) const {
  return {file, fmt::format("{}.{}[{}]", path, field, index)};
}

std::optional<std::string> prefix_list_id_from_file_name(std::string_view name) {
  static const std::regex kId("pl-[0-9a-zA-Z]+");
  const std::string stem = std::filesystem::path(std::string(name)).stem().string();
  std::optional<std::string> found;
  for (auto it = std::sregex_iterator(stem.begin(), stem.end(), kId); it != std::sregex_iterator(); ++it) {
    if (found) return std::nullopt;  // two ids: ambiguous
    found = it->str();
  }
  return found;
}

std::expected<AwsDump, Errors> read_aws_dump(std::vector<AwsJsonFile> files) {
  std::ranges::sort(files, {}, &AwsJsonFile::name);
  AwsDump dump;
  Errors errors;
  const gp::Descriptor* descriptor = aws::Dump::descriptor();
  for (const AwsJsonFile& f : files) {
    dump.files.push_back(f.name);
    auto keys = top_level_keys(f);
    if (!keys) {
      errors.push_back(keys.error());
      continue;
    }
    std::vector<std::string> unknown;
    bool any_known = false;
    for (const std::string& k : *keys) {
      if (descriptor->FindFieldByName(k) != nullptr) {
        any_known = true;
      } else {
        unknown.push_back(k);
      }
    }
    if (!any_known) {
      dump.warnings.push_back(Error{f.name, 0, 0, "",
                                    fmt::format("ignored: none of its top-level keys ({}) is one "
                                                "vpcsim reads ({})",
                                                fmt::join(*keys, ", "), known_keys())});
      continue;
    }
    for (const std::string& k : unknown) {
      dump.warnings.push_back(Error{f.name, 0, 0, k, "top-level key ignored: vpcsim reads " + known_keys()});
    }

    auto parsed = std::make_unique<aws::Dump>();
    gp::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // AWS adds members over time; only ours matter
    const auto status =
        gp::util::JsonStringToMessage(gp::StringPiece(f.content.data(), f.content.size()), parsed.get(), options);
    if (!status.ok()) {
      // Wrong types carry the JSON path in the status text ("SecurityGroups[0].FromPort: ...").
      errors.push_back(type_error(std::string(status.message()), f));
      continue;
    }
    const aws::Dump& d = *parsed;
    if (!d.nexttoken().empty()) {
      dump.warnings.push_back(Error{f.name, 0, 0, "NextToken",
                                    "the output was paginated and this file holds one page "
                                    "only: run the call without --max-items (or append "
                                    "the other pages) to import everything"});
    }
    add_all(d.vpcs(), f.name, "Vpcs", dump.vpcs);
    add_all(d.subnets(), f.name, "Subnets", dump.subnets);
    add_all(d.securitygroups(), f.name, "SecurityGroups", dump.security_groups);
    add_all(d.networkinterfaces(), f.name, "NetworkInterfaces", dump.network_interfaces);
    add_all(d.networkacls(), f.name, "NetworkAcls", dump.network_acls);
    add_all(d.routetables(), f.name, "RouteTables", dump.route_tables);
    add_all(d.internetgateways(), f.name, "InternetGateways", dump.internet_gateways);
    add_all(d.prefixlists(), f.name, "PrefixLists", dump.prefix_lists);
    for (int r = 0; r < d.reservations_size(); ++r) {
      for (int i = 0; i < d.reservations(r).instances_size(); ++i) {
        dump.instances.push_back(
            {&d.reservations(r).instances(i), AwsOrigin{f.name, fmt::format("Reservations[{}].Instances[{}]", r, i)}});
      }
    }
    if (keys->contains("Entries")) {
      // get-managed-prefix-list-entries prints {"Entries": [...]} without the list's id: it
      // comes from the file name, or from the one list of a PrefixLists key beside it.
      std::optional<std::string> id = prefix_list_id_from_file_name(f.name);
      if (!id && d.prefixlists_size() == 1) id = d.prefixlists(0).prefixlistid();
      if (!id) {
        errors.push_back(Error{f.name, 0, 0, "Entries",
                               "get-managed-prefix-list-entries output names no list: put the list id in the file "
                               "name, e.g. prefix-list-pl-0123456789abcdef0.json"});
      } else {
        dump.prefix_list_entries.push_back({*id, &d.entries(), AwsOrigin{f.name, "Entries"}});
      }
    }
    dump.storage.push_back(std::move(parsed));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return dump;
}

std::expected<std::vector<AwsJsonFile>, Errors> read_aws_json_files(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> paths;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path());
    }
    if (ec)
      return std::unexpected(Errors{Error{path.string(), 0, 0, "", "cannot list the directory: " + ec.message()}});
    if (paths.empty()) {
      return std::unexpected(Errors{Error{path.string(), 0, 0, "",
                                          "no *.json file here: save the outputs of aws ec2 describe-vpcs, "
                                          "describe-subnets, describe-security-groups, ... as describe-vpcs.json, "
                                          "... (see README, \"Importing from AWS\")"}});
    }
  } else if (fs::exists(path, ec)) {
    paths.push_back(path);
  } else {
    return std::unexpected(Errors{Error{path.string(), 0, 0, "", "no such file or directory"}});
  }
  std::ranges::sort(paths);
  std::vector<AwsJsonFile> files;
  Errors errors;
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) {
      errors.push_back(Error{p.string(), 0, 0, "", "cannot read the file"});
      continue;
    }
    files.push_back({p.string(), content.str()});
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return files;
}

}  // namespace vpcsim::io
