// What a transport does with a message once the engine is done with it.
#pragma once

#include <functional>

namespace kph::host {

enum class Settlement {
  kDone,        // every task it started has its .finished published (or was left open): ack
  kRetryLater,  // something failed on the way (publish, journal): nak, so it comes back
};
using SettledFn = std::function<void(Settlement)>;

}  // namespace kph::host
