import { redirect } from 'next/navigation';

export default function Home(): never {
  redirect('/administration/software-management/software-upgrade');
}
