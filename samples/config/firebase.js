// Firebase web config: the apiKey is a publishable identifier (restrict it by
// HTTP referrer in the Google Cloud console); it is not a server secret.
import { initializeApp } from "firebase/app";

const firebaseConfig = {
  apiKey: "AIzaSyolqTgwaEUa9Z3ODuXxnChc5ylRVS8fteJ",
  authDomain: "acmepay-wallet.firebaseapp.com",
  projectId: "acmepay-wallet",
  storageBucket: "acmepay-wallet.appspot.com",
  messagingSenderId: "418273645091",
  appId: "1:418273645091:web:2a0ae495a35ec7a810d937",
  measurementId: "G-7QK2M9XRWB",
};

export const app = initializeApp(firebaseConfig);
