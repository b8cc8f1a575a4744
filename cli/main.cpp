// setevoe's entry point: everything happens in cli::run.
#include <iostream>

#include "cli/app.hpp"

int main(int argc, char** argv) {
  return setevoe::cli::run(argc, argv, std::cout, std::cerr);
}
