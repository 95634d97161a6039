// Fixture for leakproof's Hermes extractor test. Every key here is fake.
// "near" holds a ghp_ token one character too short to be real; hermesc packs the next
// string right after it, so the raw storage shows a full-length "phantom" token.
var near = "token: ghp_R4nd0mL00k1ngX7qW2zP9vL4mT8bN3kJ6hY";
var other = "Q8zX2vB7nM4kP9sW1tY6uH3jF5dG";
var cfg = {apiKey: "AIzaSyD8fK2mQ9vLp3Xw7RtZb5Nc1HjGe4UsY0a", label: "Schlüssel ghp_Wq7Lm2Xc9Rv4Tz8Bn1Ks6Hd3Fj5Yp0Ga2Ue7"};
print(near, other, cfg.apiKey, cfg.label);
