#include "model/endpoint.h"

#include "model/aws_service.h"

namespace vpcsim {

std::string endpoint_label(const Network& net, const Endpoint& e) {
  if (const auto eni = as_eni(e)) return net.eni_label(*eni);
  const ExternalHost& h = net.external_host(std::get<ExternalHostId>(e));
  if (const auto s = aws_service_at(net, h.address)) {
    return h.name + " (" + std::string(describe(*s)) + ", " + h.address.to_string() + ")";
  }
  return "internet host " + h.name + " (" + h.address.to_string() + ")";
}

std::optional<IpAddress> endpoint_address(const Network& net, const Endpoint& e, Family f) {
  if (const auto eni = as_eni(e)) {
    const Eni& x = net.eni(*eni);
    if (f == Family::kIpv4) return x.primary_ipv4();
    return x.ipv6.empty() ? std::nullopt : std::optional(x.ipv6.front());
  }
  const IpAddress& a = net.external_host(std::get<ExternalHostId>(e)).address;
  return a.family() == f ? std::optional(a) : std::nullopt;
}

std::optional<Endpoint> resolve_endpoint(const Network& net, std::string_view name) {
  if (const auto inst = net.find_instance(name)) {
    const auto& enis = net.instance(*inst).enis;
    if (!enis.empty()) return enis.front();
  }
  if (const auto eni = net.find_eni(name)) return *eni;
  if (const auto host = net.find_external_host(name)) return *host;
  return std::nullopt;
}

}  // namespace vpcsim
