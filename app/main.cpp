#include <iostream>
int main() { std::cout << "hrtrack\n"; }
